import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// 缺材料例外: the center's recorded exception letting a student with a missing required
// material be issued a certificate, with its reason, who recorded it and when. Kept as
// history: a second exception for the same student in the same batch is a new row.

export class MaterialWaivers1718600000000 implements MigrationInterface {
  name = 'MaterialWaivers1718600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'material_waivers',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'batch_id', type: 'integer' },
          { name: 'student_no', type: 'varchar', length: '32' },
          { name: 'reason', type: 'text' },
          { name: 'missing', type: 'text' },
          { name: 'actor_open_id', type: 'varchar', length: '64' },
          { name: 'actor_name', type: 'varchar', length: '64', isNullable: true },
          { name: 'at', type: 'varchar', length: '24' },
        ],
      }),
    );
    await queryRunner.createIndex('material_waivers', new TableIndex({ name: 'idx_material_waivers_batch', columnNames: ['batch_id', 'student_no'] }));
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE `material_waivers` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('material_waivers');
  }
}
