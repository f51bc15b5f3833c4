import type { MigrationInterface, QueryRunner } from 'typeorm';

// app_meta: a few facts about the database itself — the schema version it was last migrated
// to (so start-up needs one cheap query, not a migration check), whether demo mode created
// it (demo mode opens no other database), and whether the reference data is loaded.
//
// processed_events: a chat message is also claimed by its message id (Feishu may deliver the
// same message under a new event_id), and once handled it keeps only a hash of the message.

export class StartUpAndInboxKeys1718400000000 implements MigrationInterface {
  name = 'StartUpAndInboxKeys1718400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE app_meta (meta_key VARCHAR(64) NOT NULL PRIMARY KEY, meta_value VARCHAR(255) NOT NULL)');
    await queryRunner.query('ALTER TABLE processed_events ADD COLUMN message_id VARCHAR(191) NULL');
    await queryRunner.query('ALTER TABLE processed_events ADD COLUMN payload_sha256 VARCHAR(64) NULL');
    await queryRunner.query('CREATE UNIQUE INDEX uq_processed_events_message ON processed_events (message_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const on = queryRunner.connection.options.type === 'mysql' ? ' ON processed_events' : '';
    await queryRunner.query(`DROP INDEX uq_processed_events_message${on}`);
    await queryRunner.query('ALTER TABLE processed_events DROP COLUMN payload_sha256');
    await queryRunner.query('ALTER TABLE processed_events DROP COLUMN message_id');
    await queryRunner.query('DROP TABLE app_meta');
  }
}
