"""Campaign flows: creating one (`new_campaign`), recording outcomes from a list (`record`), the campaign
screens and their buttons (`screens`); the visit flow asks its one question through `visit_question`."""
