import yauzl from 'yauzl';

/** The bytes of one entry of a ZIP (an .xlsx is one too). */
export function zipEntry(bytes: Buffer, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return zip.readEntry();
        zip.openReadStream(e, (error, stream) => {
          if (error || !stream) return reject(error);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => resolve(Buffer.concat(parts)));
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in the ZIP`)));
      zip.readEntry();
    });
  });
}
