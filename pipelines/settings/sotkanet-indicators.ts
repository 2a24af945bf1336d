/**
 * The default Sotkanet indicator list: the ids in the domain reference (docs of the product, "Indicator ids useful
 * per perspective"), each with its Balanced Scorecard perspective and, in `source`, where its id and title were
 * checked (docs/sotkanet.md, "Default indicators"). Ids that could only be taken from the domain reference say so:
 * check them with GET /indicators/{id} when online. `sotkanet.indicators` in config/pipeline.yaml replaces this list.
 */
export const PERSPECTIVES = ['context', 'customer', 'process', 'finance', 'competence'] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

/** Finnish labels of the perspectives (the seed's own wording). */
export const PERSPECTIVE_LABELS_FI: Record<Perspective, string> = {
  context: 'Toimintaympäristö',
  customer: 'Asiakas- ja vaikuttavuusnäkökulma',
  process: 'Toimintamalli- ja prosessinäkökulma',
  finance: 'Talous- ja voimavaranäkökulma',
  competence: 'Osaamisen ja uudistumisen näkökulma',
};

export interface DefaultIndicator {
  id: number;
  perspective: Perspective;
  /** A short Finnish label, used only where the real metadata is not at hand (the synthetic demo mirror). */
  label_fi: string;
  /** Sotkanet primaryValueType code of the indicator (for the demo mirror's metadata). */
  value_type: string;
  /** Last year of the series when it has ended. */
  last_year?: number;
  /** Where the id and title were checked, or that they were not. */
  source: string;
}

const DOMAIN_ONLY = 'domain reference only; not yet checked against THL metadata (check GET /indicators/{id} online)';
const MUNICIPAL_NET_COSTS =
  'domain reference; municipal net costs, which end with 2022 when the wellbeing counties took over (1.1.2023); no county series is joined (its id is not verified offline)';
const API_DUMP = 'title checked in a published Sotkanet API metadata dump (GET /indicators/{id}, 9.9.2025)';

export const DEFAULT_INDICATORS: readonly DefaultIndicator[] = [
  { id: 127, perspective: 'context', label_fi: 'Väestö 31.12.', value_type: 'LKM', source: 'real values in data/reference/sotkanet (rOpenGov/geofi sotkadata_population, indicator 127 \'Väestö 31.12.\')' },
  { id: 171, perspective: 'context', label_fi: '75 vuotta täyttäneet, % väestöstä', value_type: 'PROS', source: DOMAIN_ONLY },
  { id: 761, perspective: 'context', label_fi: 'Väestöllinen huoltosuhde', value_type: 'SUHDE', source: DOMAIN_ONLY },
  { id: 243, perspective: 'customer', label_fi: 'THL:n sairastavuusindeksi, ikävakioitu', value_type: 'INDEKSI', last_year: 2019, source: 'hyvinvointikompassi.fi indicator metadata (…/i/243): \'THL:n sairastavuusindeksi, ikävakioitu\'; 244 is the crude (ikävakioimaton) index. The series\' last period is 2017–2019 (terveytemme.fi tables). Successor: THL\'s Kansallinen terveysindeksi, sairastavuusindeksi (10 disease groups, periods 2017–2019 onwards; THL laatuseloste), a new method, so not joined to this series; its Sotkanet id is not verified here' },
  { id: 186, perspective: 'customer', label_fi: 'Kuolleisuus / 100 000 asukasta', value_type: 'PER100000', source: API_DUMP },
  { id: 1570, perspective: 'customer', label_fi: 'Kotona asuvat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS', source: DOMAIN_ONLY },
  { id: 3216, perspective: 'customer', label_fi: 'Säännöllisen kotihoidon piirissä olevat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS', source: DOMAIN_ONLY },
  { id: 3261, perspective: 'customer', label_fi: 'Ympärivuorokautisen palveluasumisen asiakkaat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS', source: DOMAIN_ONLY },
  { id: 4123, perspective: 'process', label_fi: 'Perusterveydenhuollon avosairaanhoidon lääkärikäynnit / 1000 asukasta', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 1552, perspective: 'process', label_fi: 'Perusterveydenhuollon lääkärikäynnit yhteensä / 1000 asukasta', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 1560, perspective: 'process', label_fi: 'Erikoissairaanhoidon avohoitokäynnit / 1000 asukasta', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 1561, perspective: 'process', label_fi: 'Erikoissairaanhoidon avohoitokäynnit (somaattinen) / 1000 asukasta', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 1257, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon hoitojaksot / 1000 asukasta', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 1259, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon hoitopäivät / 1000 asukasta', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 1260, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon potilaat / 1000 asukasta', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 6, perspective: 'process', label_fi: 'Hoitopäivät 75 vuotta täyttäneillä / 1000 vastaavanikäistä', value_type: 'PER1000', source: DOMAIN_ONLY },
  { id: 3336, perspective: 'process', label_fi: 'Erikoissairaanhoitoa yli 6 kk odottaneet vuoden aikana / 10 000 asukasta', value_type: 'PER10000', source: API_DUMP },
  { id: 5033, perspective: 'process', label_fi: 'Erikoissairaanhoitoon saapuneet yli 21 vrk:ssa käsitellyt lähetteet, % saapuneista lähetteistä', value_type: 'PROS', source: API_DUMP },
  { id: 1073, perspective: 'finance', label_fi: 'Sosiaali- ja terveydenhuollon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: MUNICIPAL_NET_COSTS },
  { id: 1071, perspective: 'finance', label_fi: 'Erikoissairaanhoidon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: MUNICIPAL_NET_COSTS },
  { id: 1072, perspective: 'finance', label_fi: 'Perusterveydenhuollon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: MUNICIPAL_NET_COSTS },
  { id: 3133, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon käyttöindeksi', value_type: 'INDEKSI', source: DOMAIN_ONLY },
  { id: 3139, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon kustannusindeksi', value_type: 'INDEKSI', source: DOMAIN_ONLY },
  { id: 4604, perspective: 'finance', label_fi: 'Julkisen terveydenhuollon henkilöstö / 10 000 asukasta', value_type: 'PER10000', source: DOMAIN_ONLY },
];
