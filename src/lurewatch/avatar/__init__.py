"""Avatar checks: synthetic (GAN) faces and photos reused across accounts.

Pure package: safe image loading (`loading`), perceptual hashes (`hashing`) and the reused-photo
index (`index`), synthetic-face features and classifier (`features`, `model`), other photo cues
(`cues`), one check per photo (`checker`) and the `avatar.*` evidence (`signals`). The store,
plugin and CLI live in their own layers.
"""
