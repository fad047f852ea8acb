"""“Dân vận khéo” flows: a team leader's proposal (`propose`), the khối dân vận head's review (`review`),
and the screen of approved models by village and field (`screens`)."""
