import type { LarkApi, OutgoingContent } from '../../bot/ports';

/** A LarkApi that only records what was sent, for tests above the transport. */
export function recordingLark(): LarkApi & { sent: Array<{ to: string; content: OutgoingContent }> } {
  const sent: Array<{ to: string; content: OutgoingContent }> = [];
  const send = async (_t: string, to: string, content: OutgoingContent) => {
    sent.push({ to, content });
    return `om_${sent.length}`;
  };
  return {
    sent,
    botInfo: async () => ({ openId: 'ou_bot', name: 'bot' }),
    send,
    sendText: (t, to, text) => send(t, to, { kind: 'text', text }),
    sendCard: (t, to, card) => send(t, to, { kind: 'card', card }),
    reply: async () => 'om_r',
    patchCard: async () => undefined,
    uploadFile: async () => 'file_1',
    uploadImage: async () => 'img_1',
    downloadResource: async () => Buffer.alloc(0),
    getUser: async () => null,
  };
}
