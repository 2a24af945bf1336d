/**
 * The SQL files as a dependency graph (pipelines/models/graph.ts): what a file creates and reads is read from its
 * text; the whole of pipelines/sql has no cycle; every file makes exactly the table named after it; and the
 * layers read downwards (staging never reads intermediate models or marts).
 */
import { describe, expect, it } from 'vitest';
import { buildOrder, parseModel, readModels } from '../../pipelines/models/graph.js';

describe('the SQL dependency graph', () => {
  it('reads creates and reads from the text, not from comments or strings', () => {
    const m = parseModel(
      'marts/x.sql',
      `-- reads marts.commented_out\ncreate or replace table marts.x as\nselect 'staging.not_a_table' as s from staging.stg_a a join intermediate.int_b b using (k)\nunion all select * from marts.x_old;`,
    );
    expect(m).toEqual({ file: 'marts/x.sql', creates: ['marts.x'], reads: ['intermediate.int_b', 'marts.x_old', 'staging.stg_a'], declares: [] });
    expect(parseModel('t.sql', 'create or replace temp table lines as select 1').creates).toEqual(['temp.lines']);
  });

  it('tells a table a file only declares (if not exists: an import fills it) from one it makes', () => {
    const m = parseModel('staging/s.sql', 'create table if not exists staging.stg_s (k int);\ncreate or replace table staging.stg_t as select * from staging.stg_s');
    expect(m).toMatchObject({ creates: ['staging.stg_s', 'staging.stg_t'], declares: ['staging.stg_s'] });
  });

  it('orders a selection by what each file reads, and names a cycle', () => {
    const a = { file: 'a.sql', creates: ['marts.a'], reads: ['staging.b'] };
    const b = { file: 'b.sql', creates: ['staging.b'], reads: ['raw.c'] };
    expect(buildOrder([a, b]).map((m) => m.file)).toEqual(['b.sql', 'a.sql']);
    const c = { file: 'c.sql', creates: ['raw.c'], reads: ['marts.a'] };
    expect(() => buildOrder([a, b, c])).toThrow('SQL dependency cycle: a.sql → b.sql → c.sql → a.sql');
  });

  const models = readModels();

  it('has no cycle over every file of pipelines/sql', () => {
    expect(buildOrder(models)).toHaveLength(models.length);
  });

  it('makes one mart per mart file, named after it', () => {
    const marts = models.filter((m) => m.file.startsWith('marts/'));
    expect(marts.length).toBeGreaterThan(30);
    for (const m of marts) {
      expect({ file: m.file, creates: m.creates }).toEqual({ file: m.file, creates: [`marts.${m.file.slice('marts/'.length, -'.sql'.length)}`] });
    }
  });

  it('makes one table or view per file of every layer, named after it and in the layer\'s schema', () => {
    const layered = models.filter((m) => /^(raw|staging|intermediate|marts|ops)\//.test(m.file));
    const stem = (file: string) => file.replace(/^.*\//, '').replace(/\.sql$/, '');
    const others = layered
      // A temporary table (the disclosure step's lines) is named after its file as well.
      .filter((m) => !(m.creates.length === 1 && [`${m.file.split('/')[0]}.${stem(m.file)}`, `temp.${stem(m.file)}`].includes(m.creates[0]!)))
      .map((m) => `${m.file}: ${m.creates.join(', ') || 'nothing'}`);
    expect(others).toEqual([
      // The import's temp tables (checked rows, problems) of the drop-folder sources (the ingest work of issue 15).
      'intermediate/int_commentary__checked.sql: temp.cm_problems, temp.cm_typed',
      'intermediate/int_unit_data__checked.sql: temp.ud_problems, temp.ud_typed',
      // Statements appending to a table another file makes (<table>.<what>.sql): the rejects of a load, loads of a format.
      'raw/sotkanet_data.load_csv.sql: nothing',
      'raw/sotkanet_data.load_json.sql: nothing',
      'raw/sotkanet_regions.load.sql: nothing',
      'staging/stg_population__by_age.rejects.sql: nothing',
      'staging/stg_regions__mergers.rejects.sql: nothing',
      'staging/stg_sotkanet__values.rejects.sql: nothing',
      'staging/stg_statfi__municipality_years.rejects.sql: nothing',
    ]);
  });

  it('reads downwards: staging and intermediate models read no layer above them but the listed debts', () => {
    const upward = (layer: string, pattern: RegExp) =>
      models.filter((m) => m.file.startsWith(`${layer}/`)).flatMap((m) => m.reads.filter((r) => pattern.test(r)).map((r) => `${m.file} → ${r}`));
    // Known debt: the population staging model reads the cleaned rows of an int_ model.
    expect(upward('staging', /^(intermediate|marts)\./)).toEqual([
      'staging/stg_population__by_age.rejects.sql → intermediate.int_population__rows',
      'staging/stg_population__by_age.sql → intermediate.int_population__rows',
    ]);
    // Known debts (issue 15): intermediate models over published marts; each should read the marts' own inputs.
    expect(upward('intermediate', /^marts\./)).toEqual([
      'intermediate/int_foresight__areas.sql → marts.organisation_members_by_year',
      'intermediate/int_foresight__areas.sql → marts.organisations',
      // By design, not a debt (docs/plan.md): plans are compared with the published, protected figures only.
      'intermediate/int_plan__actual_months.sql → marts.service_use_summary',
      'intermediate/int_plan__data_months.sql → marts.service_use_summary',
      'intermediate/int_plan__forecast.sql → marts.service_use_yearly',
      'intermediate/int_plan__seasonality.sql → marts.service_use_summary',
      'intermediate/int_scorecard__area_members.sql → marts.organisation_members_by_year',
      // By design (docs/plan.md): the plan indicators read the plan marts, computed from published figures only.
      'intermediate/int_scorecard__measures.sql → marts.budget_vs_actual',
      'intermediate/int_scorecard__measures.sql → marts.plan_forecast',
      'intermediate/int_scorecard__measures.sql → marts.service_use_harmonised',
      'intermediate/int_scorecard__orgs.sql → marts.organisation_members_by_year',
      'intermediate/int_service_use__area_population.sql → marts.population_by_area',
    ]);
  });
});
