import type { MigrationInterface, QueryRunner } from 'typeorm';

// processed_events becomes an inbox for chat messages: the claim keeps the message itself
// (status 'pending', leased to the instance handling it), so a message acknowledged to Feishu
// but interrupted by a crash is taken over by another instance instead of being lost.
// Card clicks keep status NULL: their answer is synchronous, so the user sees a failure.

export class EventInbox1717200000301 implements MigrationInterface {
  name = 'EventInbox1717200000301';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const text = mysql ? 'MEDIUMTEXT' : 'TEXT';
    const columns = [
      'status VARCHAR(16) NULL',
      `payload ${text} NULL`,
      'owner VARCHAR(100) NULL',
      'lease_token VARCHAR(64) NULL',
      'lease_until VARCHAR(24) NULL',
      'attempts INT NOT NULL DEFAULT 0',
      `last_error ${text} NULL`,
      'updated_at VARCHAR(24) NULL',
    ];
    for (const column of columns) await queryRunner.query(`ALTER TABLE processed_events ADD COLUMN ${column}`);
    await queryRunner.query('CREATE INDEX idx_processed_events_inbox ON processed_events (status, lease_until)');
    await queryRunner.query('CREATE INDEX idx_processed_events_token ON processed_events (lease_token)');
    await queryRunner.query('CREATE INDEX idx_processed_events_at ON processed_events (at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const on = queryRunner.connection.options.type === 'mysql' ? ' ON processed_events' : '';
    for (const index of ['idx_processed_events_at', 'idx_processed_events_token', 'idx_processed_events_inbox']) {
      await queryRunner.query(`DROP INDEX ${index}${on}`);
    }
    for (const column of ['updated_at', 'last_error', 'attempts', 'lease_until', 'lease_token', 'owner', 'payload', 'status']) {
      await queryRunner.query(`ALTER TABLE processed_events DROP COLUMN ${column}`);
    }
  }
}
