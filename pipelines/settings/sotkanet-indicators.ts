/**
 * The default Sotkanet indicator list: the ids in the domain reference (docs of the product, "Indicator ids useful
 * per perspective"), each with its Balanced Scorecard perspective and, in `source`, where its id and title were
 * checked (docs/sotkanet.md, "Default indicators"; docs/dual-model.md). An id whose title could not be checked
 * offline says so: check it with GET /indicators/{id} when online. `sotkanet.indicators` in config/pipeline.yaml
 * replaces this list.
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
  /** First year of the series when it starts after the others (a successor of an ended one). */
  first_year?: number;
  /** Last year of the series when it has ended. */
  last_year?: number;
  /** Where the id and title were checked, or that they were not. */
  source: string;
}

/**
 * A real response of Sotkanet's GET /indicators (2 434 indicators, committed 17.2.2016 as a test resource of
 * oskariorg/oskari-server, service-statistics-sotka/src/test/resources/fi/nls/oskari/control/statistics/plugins/sotka/
 * parser/SotkaIndicators.json, MIT): the id, its Finnish title and producer as Sotkanet gave them then. Titles may have
 * been reworded since (the registry's names follow the current wording where it differs).
 */
const OSKARI_DUMP = (title: string) => `id and title checked in a real Sotkanet GET /indicators response (oskariorg/oskari-server test resource SotkaIndicators.json, 2016): '${title}'`;
const MUNICIPAL_NET_COSTS =
  'municipal net costs, which end with 2022 when the wellbeing counties took over (1.1.2023). ' +
  'No county-level successor is joined: no Sotkanet id of a wellbeing-county net-cost series per resident could be found in public sources offline ' +
  "(THL's county finance data are in THL's own cube, sampo.thl.fi 'Sote-käyttötalous palveluluokittain 2021–23', not under a known Sotkanet id)";
const API_DUMP = 'title checked in a published Sotkanet API metadata dump (GET /indicators/{id}, 9.9.2025)';
/**
 * 243 ends with 2017–2019; its successor is THL's Kansallinen terveysindeksi, whose sairastavuusindeksi THL and Kela
 * publish in Sotkanet (Kela's Tietotarjotin, THL's quality description: periods 2017–2019 onwards). Its id, 5641, is
 * used by three independent published Sotkanet clients (one names it 'Sairastavuusindeksi, ikävakioitu', 100 = whole
 * country, data for 2023); it is newer than the 2016 metadata dump, so its title is not checked against THL metadata.
 * 3064 is NOT the morbidity index (map applications' comments call it so): Sotkanet's metadata names it
 * 'Pakkotoimet psykiatrisessa sairaalahoidossa 25 - 64-vuotiailla'.
 */
const MORBIDITY_243 = `${OSKARI_DUMP('THL:n sairastavuusindeksi, ikävakioitu')} (244 is 'THL:n sairastavuusindeksi, ikävakioimaton'); also hyvinvointikompassi.fi (…/i/243). The series' last period is 2017–2019 (terveytemme.fi tables). Its successor is 5641`;
const MORBIDITY_5641 =
  "successor of 243: Kansallinen terveysindeksi, sairastavuusindeksi (THL and Kela, 10 disease groups, periods 2017–2019 onwards; Kela's Tietotarjotin says it is published in Sotkanet). " +
  "Id 5641 as used by three independent published Sotkanet clients (one: 'Sairastavuusindeksi, ikävakioitu', 100 = whole country, data for 2023); " +
  'title NOT checked against Sotkanet metadata offline (the 2016 metadata dump predates it): check GET /indicators/5641 online';

export const DEFAULT_INDICATORS: readonly DefaultIndicator[] = [
  { id: 127, perspective: 'context', label_fi: 'Väestö 31.12.', value_type: 'LKM', source: 'real values in data/reference/sotkanet (rOpenGov/geofi sotkadata_population, indicator 127 \'Väestö 31.12.\')' },
  { id: 171, perspective: 'context', label_fi: '75 vuotta täyttäneet, % väestöstä', value_type: 'PROS', source: OSKARI_DUMP('75 vuotta täyttäneet, % väestöstä') },
  { id: 761, perspective: 'context', label_fi: 'Väestöllinen huoltosuhde', value_type: 'SUHDE', source: OSKARI_DUMP('Huoltosuhde, demografinen') },
  { id: 243, perspective: 'customer', label_fi: 'THL:n sairastavuusindeksi, ikävakioitu', value_type: 'INDEKSI', last_year: 2019, source: MORBIDITY_243 },
  { id: 5641, perspective: 'customer', label_fi: 'Sairastavuusindeksi, ikävakioitu (Kansallinen terveysindeksi)', value_type: 'INDEKSI', first_year: 2020, source: MORBIDITY_5641 },
  { id: 186, perspective: 'customer', label_fi: 'Kuolleisuus / 100 000 asukasta', value_type: 'PER100000', source: `${API_DUMP}; ${OSKARI_DUMP('Kuolleisuus / 100 000 asukasta')}` },
  { id: 3138, perspective: 'customer', label_fi: 'Menetetyt elinvuodet (PYLL) ikävälillä 0 - 80 vuotta / 100 000 asukasta', value_type: 'PER100000', source: `${OSKARI_DUMP('Menetetyt elinvuodet (PYLL) ikävälillä 0 - 80 vuotta / 100 000 asukasta')} (Tilastokeskus)` },
  { id: 1570, perspective: 'customer', label_fi: 'Kotona asuvat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS', source: OSKARI_DUMP('Kotona asuvat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä') },
  { id: 3216, perspective: 'customer', label_fi: 'Säännöllisen kotihoidon piirissä olevat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS', source: OSKARI_DUMP('Säännöllisen kotihoidon piirissä 30.11. olleet 75 vuotta täyttäneet asiakkaat, % vastaavanikäisestä väestöstä') },
  { id: 3261, perspective: 'customer', label_fi: 'Ympärivuorokautisen palveluasumisen asiakkaat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS', source: `${OSKARI_DUMP('Ikääntyneiden tehostetun palveluasumisen 75 vuotta täyttäneet asiakkaat 31.12., % vastaavanikäisestä väestöstä')}; renamed for 24-hour service housing since the 2023 reform` },
  { id: 4123, perspective: 'process', label_fi: 'Perusterveydenhuollon avosairaanhoidon lääkärikäynnit / 1000 asukasta', value_type: 'PER1000', source: OSKARI_DUMP('Perusterveydenhuollon avosairaanhoidon lääkärikäynnit yhteensä / 1 000 asukasta') },
  { id: 1552, perspective: 'process', label_fi: 'Perusterveydenhuollon lääkärikäynnit yhteensä / 1000 asukasta', value_type: 'PER1000', source: OSKARI_DUMP('Perusterveydenhuollon avohoidon kaikki lääkärikäynnit / 1 000 asukasta') },
  { id: 1560, perspective: 'process', label_fi: 'Erikoissairaanhoidon avohoitokäynnit / 1000 asukasta', value_type: 'PER1000', source: OSKARI_DUMP('Erikoissairaanhoidon avohoitokäynnit / 1 000 asukasta') },
  { id: 1561, perspective: 'process', label_fi: 'Erikoissairaanhoidon avohoitokäynnit (somaattinen) / 1000 asukasta', value_type: 'PER1000', source: OSKARI_DUMP('Somaattisen erikoissairaanhoidon avohoitokäynnit / 1 000 asukasta') },
  { id: 1257, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon hoitojaksot / 1000 asukasta', value_type: 'PER1000', source: OSKARI_DUMP('Somaattisen erikoissairaanhoidon hoitojaksot / 1 000 asukasta') },
  { id: 1259, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon hoitopäivät / 1000 asukasta', value_type: 'PER1000', source: OSKARI_DUMP('Somaattisen erikoissairaanhoidon hoitopäivät / 1 000 asukasta') },
  { id: 1260, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon potilaat / 1000 asukasta', value_type: 'PER1000', source: OSKARI_DUMP('Somaattisen erikoissairaanhoidon potilaat / 1 000 asukasta') },
  { id: 6, perspective: 'process', label_fi: 'Hoitopäivät 75 vuotta täyttäneillä / 1000 vastaavanikäistä', value_type: 'PER1000', source: OSKARI_DUMP('Somaattisen erikoissairaanhoidon hoitopäivät 75 vuotta täyttäneillä / 1 000 vastaavanikäistä') },
  { id: 3336, perspective: 'process', label_fi: 'Erikoissairaanhoitoa yli 6 kk odottaneet vuoden aikana / 10 000 asukasta', value_type: 'PER10000', source: API_DUMP },
  { id: 5033, perspective: 'process', label_fi: 'Erikoissairaanhoitoon saapuneet yli 21 vrk:ssa käsitellyt lähetteet, % saapuneista lähetteistä', value_type: 'PROS', source: API_DUMP },
  { id: 1073, perspective: 'finance', label_fi: 'Sosiaali- ja terveydenhuollon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: `${OSKARI_DUMP('Sosiaali- ja terveystoimen nettokustannukset, euroa / asukas')} (Tilastokeskus); ${MUNICIPAL_NET_COSTS}` },
  { id: 1071, perspective: 'finance', label_fi: 'Erikoissairaanhoidon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: `${OSKARI_DUMP('Erikoissairaanhoidon nettokustannukset, euroa / asukas')}; ${MUNICIPAL_NET_COSTS}` },
  { id: 1072, perspective: 'finance', label_fi: 'Perusterveydenhuollon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA', last_year: 2022, source: `${OSKARI_DUMP('Perusterveydenhuollon (mukaanlukien hammashuolto) nettokustannukset, euroa / asukas')}; ${MUNICIPAL_NET_COSTS}` },
  { id: 3133, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon käyttöindeksi', value_type: 'INDEKSI', source: `${OSKARI_DUMP('Somaattisen erikoissairaanhoidon käyttöindeksi')}; municipalities and hospital districts only` },
  { id: 3139, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon kustannusindeksi', value_type: 'INDEKSI', source: `${OSKARI_DUMP('Somaattisen erikoissairaanhoidon kustannusindeksi')}; municipalities and hospital districts only` },
  { id: 4604, perspective: 'finance', label_fi: 'Julkisen terveydenhuollon henkilöstö / 10 000 asukasta', value_type: 'PER10000', source: `${OSKARI_DUMP('Terveyspalvelut, julkinen sektori, henkilöstö yhteensä / 10 000 asukasta')} (Tilastokeskus)` },
];
