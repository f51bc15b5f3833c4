import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Every 1+X sitting as the platform published it: absent, failed or passed, with score,
// certificate number and date. A retake (who pays the exam fee) is decided from these rows,
// never from who was merely listed on an earlier plan.

export class ExamSittings1718600000200 implements MigrationInterface {
  name = 'ExamSittings1718600000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'exam_sittings',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'plan_id', type: 'integer' },
          { name: 'student_no', type: 'varchar', length: '32' },
          { name: 'certificate', type: 'varchar', length: '100' },
          { name: 'level', type: 'varchar', length: '8' },
          { name: 'outcome', type: 'varchar', length: '8' },
          { name: 'score', type: 'varchar', length: '16', isNullable: true },
          { name: 'certificate_no', type: 'varchar', length: '64', isNullable: true },
          { name: 'issued_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'recorded_at', type: 'varchar', length: '24' },
        ],
      }),
    );
    await queryRunner.createIndex('exam_sittings', new TableIndex({ name: 'uq_exam_sittings', columnNames: ['plan_id', 'student_no'], isUnique: true }));
    await queryRunner.createIndex('exam_sittings', new TableIndex({ name: 'idx_exam_sittings_student', columnNames: ['student_no'] }));
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE `exam_sittings` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('exam_sittings');
  }
}
