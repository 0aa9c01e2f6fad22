"""Learned, calibrated scorers (message and account) and the artifacts `lurewatch train` writes.

This folder is also the bundled models directory (`Settings.models_dir`): the committed
artifacts `message-model.json` and `account-model.json` sit next to the code that reads them,
so an installed package scores with the same models the repository was evaluated with.
Importing this package is cheap: training and evaluation code is imported only when used.
"""

MESSAGE_ARTIFACT = "message-model.json"  # message-lr-v1, kept for comparison in `lurewatch eval`
MESSAGE_STACK_ARTIFACT = "message-stack.json"  # message-stack-v2, the shipped message scorer
ACCOUNT_ARTIFACT = "account-model.json"
ARTIFACT_FORMAT = "lurewatch-linear-v1"
