import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// A 1+X candidate's photo, collected for one plan to its certificate's spec (小一寸红底 and
// the platform's pixel and size limits), kept apart from the certification materials whose
// spec differs. Every upload is a new version.

export class ExamPhotos1718600000100 implements MigrationInterface {
  name = 'ExamPhotos1718600000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'exam_photos',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'plan_id', type: 'integer' },
          { name: 'student_no', type: 'varchar', length: '32' },
          { name: 'version', type: 'integer' },
          { name: 'stored_path', type: 'varchar', length: '500' },
          { name: 'file_name', type: 'varchar', length: '200' },
          { name: 'meta', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
      }),
    );
    await queryRunner.createIndex('exam_photos', new TableIndex({ name: 'uq_exam_photos_version', columnNames: ['plan_id', 'student_no', 'version'], isUnique: true }));
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE `exam_photos` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('exam_photos');
  }
}
