import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helpFeature } from '../../bot/features/help.feature';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { startHarness, type Harness } from '../support/sim-harness';

// The webhook answers 200 only once the message is stored in the inbox: a message that
// cannot be stored is answered 503, so Feishu delivers it again instead of it being lost.

afterAll(cleanupDatabases);

describe.each(testDatabases())('acknowledging only what is stored, on $name', ({ url }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await url(), features: [helpFeature] });
  }, 60_000);
  afterEach(async () => h.close());

  it('answers 503 when the message cannot be stored, and handles the redelivery once', async () => {
    const inbox = h.store.processedEvents;
    const claimMessage = inbox.claimMessage.bind(inbox);
    inbox.claimMessage = async () => {
      throw new Error('database unavailable');
    };
    const { envelope } = h.injector.buildUserMessage('ou_someone', 'text', { text: '你好' });
    const refused = await h.injector.post('/webhook/event', envelope);
    await h.settle();
    expect(refused.status).toBe(503);
    expect(h.botMessages()).toEqual([]);

    // the database is back; Feishu delivers the same event again (and once more)
    inbox.claimMessage = claimMessage;
    expect((await h.injector.post('/webhook/event', envelope)).status).toBe(200);
    expect((await h.injector.post('/webhook/event', envelope)).status).toBe(200);
    await h.settle();
    expect(h.botMessages()).toHaveLength(1);
    expect(await inbox.inboxState(envelope.header.event_id!)).toMatchObject({ status: 'done' });
  });
});
