import type { MigrationInterface, QueryRunner } from 'typeorm';

// Year after year: one campaign is current (the others open or closed); a batch keeps
// what was submitted (batch_results, one JSON document per batch); an approved scheme
// carries a version, and a change to it waits as a draft in scheme_drafts until
// approved; the center's cohort admissions (延期毕业, 转专业 …) per campaign year.

export class CampaignYears1718500000000 implements MigrationInterface {
  name = 'CampaignYears1718500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    // a batch's frozen results grow with its students: MEDIUMTEXT (16 MB) on MySQL
    const big = mysql ? 'MEDIUMTEXT' : 'TEXT';
    await queryRunner.query("ALTER TABLE campaigns ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'open'");
    await queryRunner.query(
      mysql
        ? "UPDATE campaigns c JOIN (SELECT MAX(year) AS y FROM campaigns) m ON c.year = m.y SET c.state = 'current'"
        : "UPDATE campaigns SET state = 'current' WHERE year = (SELECT MAX(year) FROM campaigns)",
    );
    await queryRunner.query('ALTER TABLE schemes ADD COLUMN version INT NOT NULL DEFAULT 1');
    await queryRunner.query('ALTER TABLE schemes ADD COLUMN approved_by VARCHAR(64) NULL');
    await queryRunner.query('ALTER TABLE schemes ADD COLUMN approved_at VARCHAR(24) NULL');
    await queryRunner.query(
      `CREATE TABLE scheme_drafts (code VARCHAR(32) NOT NULL PRIMARY KEY, version INT NOT NULL, data ${big} NOT NULL, changes ${big} NOT NULL, created_at VARCHAR(24) NOT NULL)`,
    );
    await queryRunner.query(`CREATE TABLE batch_results (batch_id INT NOT NULL PRIMARY KEY, data ${big} NOT NULL, created_at VARCHAR(24) NOT NULL)`);
    const id = mysql ? 'id INT NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'id INTEGER PRIMARY KEY AUTOINCREMENT';
    await queryRunner.query(
      `CREATE TABLE cohort_admissions (${id}, year INT NOT NULL, student_no VARCHAR(32) NOT NULL, reason TEXT NOT NULL, actor_open_id VARCHAR(64) NOT NULL, actor_name VARCHAR(64) NULL, at VARCHAR(24) NOT NULL)`,
    );
    await queryRunner.query('CREATE UNIQUE INDEX uq_cohort_admissions_year_student ON cohort_admissions (year, student_no)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const on = queryRunner.connection.options.type === 'mysql' ? ' ON cohort_admissions' : '';
    await queryRunner.query(`DROP INDEX uq_cohort_admissions_year_student${on}`);
    for (const table of ['cohort_admissions', 'batch_results', 'scheme_drafts']) await queryRunner.query(`DROP TABLE ${table}`);
    for (const column of ['approved_at', 'approved_by', 'version']) await queryRunner.query(`ALTER TABLE schemes DROP COLUMN ${column}`);
    await queryRunner.query('ALTER TABLE campaigns DROP COLUMN state');
  }
}
