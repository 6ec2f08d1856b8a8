"""coffeechat's data layer: records, rules, dates, persistence, import/export. No Textual."""
