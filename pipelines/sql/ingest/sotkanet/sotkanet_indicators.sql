-- One indicator's metadata (the mirror's indicators/<id>.json, parsed and checked in TypeScript) into
-- raw.sotkanet_indicators, replacing the indicator's earlier row.
delete from raw.sotkanet_indicators where indicator_id = $id;

insert into raw.sotkanet_indicators values
    ($id, $title_fi, $title_sv, $title_en, $data_updated, $range_start, $range_end, $value_type, $decimals,
     $producer_fi, $producer_sv, $producer_en, $is_synthetic, $metadata_json, $source_file, $run_id, now());
