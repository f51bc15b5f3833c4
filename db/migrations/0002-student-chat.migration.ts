import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

// The student's conversation with the bot keeps a little state between messages:
// which message is their status card (patched in place), a file waiting for "which
// material is this?", the material a 提交照片 button announced. Small named values per
// chat user, so one table serves all of them.

export class StudentChat1717000000000 implements MigrationInterface {
  name = 'StudentChat1717000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'chat_state',
        columns: [
          { name: 'open_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
    );
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE `chat_state` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('chat_state');
  }
}
