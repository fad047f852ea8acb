"""“Dân vận khéo” models (seed 003 task 3.4): a team leader proposes one, the khối dân vận head approves it
or returns it with a note, and the approved ones are listed by village and field, counted in the digest,
and read by the half-year and annual reports and the yearly evaluation (`figures`)."""
