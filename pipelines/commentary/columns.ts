/**
 * The commentary input contract (docs/commentary.md): one row per comment, CSV (comma-separated UTF-8 with a header)
 * or the first worksheet of an .xlsx workbook (the template docs/commentary-template.xlsx). Either indicator_id or
 * objective_id names what the comment is about.
 */
export const COMMENTARY_COLUMNS = [
  'indicator_id', // a registry indicator id (config/indicators.yaml), or empty when objective_id is given
  'objective_id', // an objective id of the roadmap, or empty when indicator_id is given
  'org_id', // an organisation, service area or unit code of config/organisation.yaml, or kunta-<code>
  'period', // YYYY or YYYY-MM
  'kind', // analyysi / johtopäätös / kehittämishaaste / toimenpide
  'author_role', // the writer's role, e.g. "hyvinvointialuejohtaja" (a role, not a person's name)
  'text', // the comment, at most 4000 characters
  'date', // when it was written: YYYY-MM-DD or D.M.YYYY
] as const;

export const COMMENT_KINDS = ['analyysi', 'johtopäätös', 'kehittämishaaste', 'toimenpide'] as const;

/** The Finnish explanation of each column, for the authors' template. */
export const COMMENTARY_COLUMN_HELP_FI: Record<(typeof COMMENTARY_COLUMNS)[number], string> = {
  indicator_id: 'Indikaattorin tunnus (config/indicators.yaml), esim. home_care_75. Tyhjä, jos kommentti koskee tavoitetta.',
  objective_id: 'Tavoitteen tunnus tiekartasta. Tyhjä, jos kommentti koskee indikaattoria.',
  org_id: 'Organisaation tunnus (config/organisation.yaml), esim. pohjois-pohjanmaan-hyvinvointialue, tai kunta-<koodi>.',
  period: 'Kausi: vuosi VVVV tai kuukausi VVVV-KK.',
  kind: 'Laji: analyysi, johtopäätös, kehittämishaaste tai toimenpide.',
  author_role: 'Kirjoittajan rooli (ei nimeä), esim. hyvinvointialuejohtaja.',
  text: 'Kommentin teksti, enintään 4000 merkkiä.',
  date: 'Kirjoituspäivä VVVV-KK-PP tai P.K.VVVV.',
};
