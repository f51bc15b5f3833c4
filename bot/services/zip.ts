// ZIP archives the bot hands out (a batch's materials, a 1+X plan's candidate photos), built
// in memory: the chat and the command line send them as one file.

export interface ZipEntry {
  name: string;
  bytes: Buffer;
}

/** The entries, in the order given, as one ZIP; an async source is read one entry at a time. */
export async function writeZip(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>): Promise<Buffer> {
  // loaded here, where a ZIP is written, not at start-up
  const { ZipArchive } = await import('archiver');
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  zip.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
  });
  for await (const e of entries) zip.append(e.bytes, { name: e.name });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
}
