/**
 * The default Sotkanet indicator list: the ids in the domain reference (docs of the product, "Indicator ids useful
 * per perspective"), each with its Balanced Scorecard perspective. `sotkanet.indicators` in config/pipeline.yaml
 * replaces this list.
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
}

export const DEFAULT_INDICATORS: readonly DefaultIndicator[] = [
  { id: 127, perspective: 'context', label_fi: 'Väestö 31.12.', value_type: 'LKM' },
  { id: 171, perspective: 'context', label_fi: '75 vuotta täyttäneet, % väestöstä', value_type: 'PROS' },
  { id: 761, perspective: 'context', label_fi: 'Väestöllinen huoltosuhde', value_type: 'SUHDE' },
  { id: 243, perspective: 'customer', label_fi: 'THL:n sairastavuusindeksi, ikävakioitu', value_type: 'INDEKSI', last_year: 2019 },
  { id: 186, perspective: 'customer', label_fi: 'Kuolleisuus / 100 000 asukasta', value_type: 'PER100000' },
  { id: 1570, perspective: 'customer', label_fi: 'Kotona asuvat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS' },
  { id: 3216, perspective: 'customer', label_fi: 'Säännöllisen kotihoidon piirissä olevat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS' },
  { id: 3261, perspective: 'customer', label_fi: 'Ympärivuorokautisen palveluasumisen asiakkaat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä', value_type: 'PROS' },
  { id: 4123, perspective: 'process', label_fi: 'Perusterveydenhuollon avosairaanhoidon lääkärikäynnit / 1000 asukasta', value_type: 'PER1000' },
  { id: 1552, perspective: 'process', label_fi: 'Perusterveydenhuollon lääkärikäynnit yhteensä / 1000 asukasta', value_type: 'PER1000' },
  { id: 1560, perspective: 'process', label_fi: 'Erikoissairaanhoidon avohoitokäynnit / 1000 asukasta', value_type: 'PER1000' },
  { id: 1561, perspective: 'process', label_fi: 'Erikoissairaanhoidon avohoitokäynnit (somaattinen) / 1000 asukasta', value_type: 'PER1000' },
  { id: 1257, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon hoitojaksot / 1000 asukasta', value_type: 'PER1000' },
  { id: 1259, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon hoitopäivät / 1000 asukasta', value_type: 'PER1000' },
  { id: 1260, perspective: 'process', label_fi: 'Somaattisen erikoissairaanhoidon potilaat / 1000 asukasta', value_type: 'PER1000' },
  { id: 6, perspective: 'process', label_fi: 'Hoitopäivät 75 vuotta täyttäneillä / 1000 vastaavanikäistä', value_type: 'PER1000' },
  { id: 3336, perspective: 'process', label_fi: 'Erikoissairaanhoitoa yli 6 kk odottaneet / 10 000 asukasta', value_type: 'PER10000' },
  { id: 5033, perspective: 'process', label_fi: 'Lähetteet, käsittely yli 21 vrk, % lähetteistä', value_type: 'PROS' },
  { id: 1073, perspective: 'finance', label_fi: 'Sosiaali- ja terveydenhuollon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA' },
  { id: 1071, perspective: 'finance', label_fi: 'Erikoissairaanhoidon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA' },
  { id: 1072, perspective: 'finance', label_fi: 'Perusterveydenhuollon nettokäyttökustannukset, euroa / asukas', value_type: 'EUROA' },
  { id: 3133, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon käyttöindeksi', value_type: 'INDEKSI' },
  { id: 3139, perspective: 'finance', label_fi: 'Somaattisen erikoissairaanhoidon kustannusindeksi', value_type: 'INDEKSI' },
  { id: 4604, perspective: 'finance', label_fi: 'Julkisen terveydenhuollon henkilöstö / 10 000 asukasta', value_type: 'PER10000' },
];
