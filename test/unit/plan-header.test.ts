/** The plan files' header contract (docs/plan.md): aliases from config/plan-aliases.yaml, required columns, no twins. */
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../pipelines/csv.js';
import { fromRoot } from '../../pipelines/paths.js';
import { loadPlanAliases, mapPlanHeader } from '../../pipelines/plan/import.js';
import { demoFactor } from '../../pipelines/demo/plan.js';

const aliases = loadPlanAliases(fromRoot('config/plan-aliases.yaml'));

describe('plan file headers', () => {
  it('maps Finnish and English names, € and case to the canonical columns; unknown ones are ignored', () => {
    expect(mapPlanHeader('a.csv', 'agreements', ['Vuosi', 'JÄRJESTÄJÄ', 'Kunta', 'Erikoisala', 'Sopimus (€)', 'Versio', 'Huomautus'], aliases.agreements))
      .toEqual(['year', 'organiser', 'municipality_code', 'specialty_code', 'cost_eur', 'version', null]);
    expect(mapPlanHeader('b.csv', 'budgets', ['year', 'Palvelualue', 'Tiliryhmä', 'Määräraha'], aliases.budgets))
      .toEqual(['year', 'organisation', 'account_group', 'euros']);
  });

  it('names the file, line 1 and the first missing column, never a cell', () => {
    const err = (() => {
      try {
        mapPlanHeader('c.csv', 'agreements', ['2025', 'HETU-010203A123X', '1000'], aliases.agreements);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputFileError);
    expect((err as Error).message).toBe('c.csv, line 1, field "year": missing column(s) year, organiser, version (docs/plan.md)');
  });

  it('refuses an agreement without any measure and a column given twice', () => {
    expect(() => mapPlanHeader('d.csv', 'agreements', ['vuosi', 'järjestäjä', 'versio'], aliases.agreements)).toThrow(
      'd.csv, line 1: no measure column (visits, care_periods, bed_days or cost_eur)',
    );
    expect(() => mapPlanHeader('e.csv', 'budgets', ['vuosi', 'organisaatio', 'tiliryhmä', 'euroa', 'summa'], aliases.budgets)).toThrow(
      'e.csv, line 1, field "summa": column euros appears twice (also column 4)',
    );
  });

  it('derives the demo plans within a few per cent, the same on every run', () => {
    const f = demoFactor('kainuun-hyvinvointialue|205|10');
    expect(f).toBe(demoFactor('kainuun-hyvinvointialue|205|10'));
    expect(Math.abs(f - 1)).toBeLessThanOrEqual(0.04);
  });
});
