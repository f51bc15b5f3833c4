import type { LarkApi, OutgoingContent } from '../../bot/ports';

/** A LarkApi that only records what was sent (and the send's uuid, when it has one), for tests above the transport. */
export function recordingLark(): LarkApi & { sent: Array<{ to: string; content: OutgoingContent; uuid?: string }> } {
  const sent: Array<{ to: string; content: OutgoingContent; uuid?: string }> = [];
  const send = async (_t: string, to: string, content: OutgoingContent, options?: { uuid?: string }) => {
    sent.push({ to, content, ...(options?.uuid ? { uuid: options.uuid } : {}) });
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
