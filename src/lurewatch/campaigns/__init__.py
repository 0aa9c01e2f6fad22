"""Campaign discovery: accounts linked through shared artifacts (templates, avatars, front
companies, contact handles), summarised with targets and the reason each account belongs.

Pure package: `handles` extracts contact handles from text, `linking` groups accounts,
`summary` describes each campaign, `signals` turns membership into `campaign.*` evidence.
The store side lives in `engine/plugins/campaigns.py` and `store/tables/campaigns.py`.
"""
