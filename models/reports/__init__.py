"""Official reports (báo cáo 6 tháng, năm, sơ kết, tổng kết): figures, fields people give, drafted words."""
