select * from marts.board_report_indicators
