/**
 * The default Sotkanet indicator list: the ids in the domain reference (docs of the product, "Indicator ids useful
 * per perspective"), each with its Balanced Scorecard perspective and, in `source`, where its id and title were
 * checked (docs/sotkanet.md, "Default indicators"). Ids that could only be taken from the domain reference say so:
 * check them with GET /indicators/{id} when online. `sotkanet.indicators` in config/pipeline.yaml replaces this list.
 */
/** The Balanced Scorecard perspectives; their Finnish labels and order are the seed pipelines/sql/seeds/perspectives.csv. */
export const PERSPECTIVES = ['context', 'customer', 'process', 'finance', 'competence'] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

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

const DOMAIN_ONLY =
  'domain reference only; NOT verified: no public source checked offline (29.11.2026) names this id with its title; check GET /indicators/{id} online';
const MUNICIPAL_NET_COSTS =
  'domain reference; municipal net costs, which end with 2022 when the wellbeing counties took over (1.1.2023). ' +
  'No county-level successor is joined: no Sotkanet id of a wellbeing-county net-cost series per resident could be found in public sources offline ' +
  "(THL's county finance data are in THL's own cube, sampo.thl.fi 'Sote-käyttötalous palveluluokittain 2021–23', not under a known Sotkanet id); NOT verified";
/** 1071 and 1072: titles confirmed by terveyspuu.fi's indicator list, which cites Sotkanet (21.1.2015) with these ids. */
const NET_COSTS_TERVEYSPUU = `${MUNICIPAL_NET_COSTS}. Id and title: terveyspuu.fi/juuret.php cites 'Sotkanet id 1071' (erikoissairaanhoidon nettokustannukset, euroa / asukas) and 'Sotkanet id 1072' (perusterveydenhuollon nettokustannukset incl. dental care, euroa / asukas)`;
const API_DUMP = 'title checked in a published Sotkanet API metadata dump (GET /indicators/{id}, 9.9.2025)';
/**
 * 243 and its successor, as far as public sources checked offline (search of THL pages and of published code using
 * the Sotkanet API, 29.11.2026) say. 5641 is not made a default: its title comes from one published script, not from
 * THL's metadata, and it is a new method (not joinable to 243); 3064 is named "Sairastavuusindeksi (THL)" only in the
 * comments of two map applications, with no metadata: NOT verified.
 */
const MORBIDITY_243 =
  "hyvinvointikompassi.fi indicator metadata (…/i/243): 'THL:n sairastavuusindeksi, ikävakioitu'; 244 is the crude (ikävakioimaton) index. " +
  "The series' last period is 2017–2019 (terveytemme.fi tables; a published Sotkanet client calls the legacy index 'frozen at 2019'). " +
  "Successor: THL's Kansallinen terveysindeksi, sairastavuusindeksi (10 disease groups; Kela's Tietotarjotin and THL report 23/2024, periods 2020–2022 on). " +
  "Its Sotkanet id is most likely 5641 ('Sairastavuusindeksi, ikävakioitu', data for 2023, per a published script using GET /json?indicator=5641), " +
  'not checked against THL metadata offline; 3064 (named so only in comments of map apps) is NOT verified. Neither is joined to 243 (a new method)';

export const DEFAULT_INDICATORS: readonly DefaultIndicator[] = [
  { id: 127, perspective: 'context', label_fi: 'Väestö 31.12.', value_type: 'LKM', source: 'real values in data/reference/sotkanet (rOpenGov/geofi sotkadata_population, indicator 127 \'Väestö 31.12.\')' },
  { id: 171, perspective: 'context', label_fi: '75 vuotta täyttäneet, % väestöstä', value_type: 'PROS', source: DOMAIN_ONLY },
  { id: 761, perspective: 'context', label_fi: 'Väestöllinen huoltosuhde', value_type: 'SUHDE', source: DOMAIN_ONLY },
  { id: 243, perspective: 'customer', label_fi: 'THL:n sairastavuusindeksi, ikävakioitu', value_type: 'INDEKSI', last_year: 2019, source: MORBIDITY_243 },
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
  { id: 1071, perspective: 'finance', label_fi: 'Erikoissairaanhoidon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: NET_COSTS_TERVEYSPUU },
  { id: 1072, perspective: 'finance', label_fi: 'Perusterveydenhuollon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: NET_COSTS_TERVEYSPUU },
  { id: 3133, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon käyttöindeksi', value_type: 'INDEKSI', source: DOMAIN_ONLY },
  { id: 3139, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon kustannusindeksi', value_type: 'INDEKSI', source: DOMAIN_ONLY },
  { id: 4604, perspective: 'finance', label_fi: 'Julkisen terveydenhuollon henkilöstö / 10 000 asukasta', value_type: 'PER10000', source: DOMAIN_ONLY },
];
