import type { MigrationInterface, QueryRunner } from 'typeorm';

// send_slots: the app's Feishu budget (50 calls/s, 1000/min), shared by every instance on the
// database. One row per call a window allows; a row is taken while its call is in flight and
// is free again one window after the call's answer (bot/lark/send-budget.ts).

export class SendSlots1718700000000 implements MigrationInterface {
  name = 'SendSlots1718700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE send_slots (kind VARCHAR(16) NOT NULL, slot INT NOT NULL, free_at BIGINT NOT NULL, PRIMARY KEY (kind, slot))');
    await queryRunner.query('CREATE INDEX idx_send_slots_free ON send_slots (kind, free_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE send_slots');
  }
}
