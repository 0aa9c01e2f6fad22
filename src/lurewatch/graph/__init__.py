"""Connection-graph trust and targeting analysis (pure: edge lists and records in, scores and evidence out).

Fake personas borrow credibility through accepted connections; the graph shows them: few real
ties into the honest network, invitations sprayed at one organisation, low acceptance. This
package never imports the store, the web, the CLI or settings.
"""
