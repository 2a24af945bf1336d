-- The board reports' indicators (/raportti/<org>): the organisations that have a report page (wellbeing counties,
-- collaboration areas, sub-areas; pipelines/ops/board-pack.ts REPORT_ORG_TYPES), not the municipalities, service
-- areas and units of marts.board_report_indicators (at national size 9/10 of its 422 901 rows).
select *
from marts.board_report_indicators
where org_type in ('wellbeing_county', 'collaboration_area', 'sub_area')
