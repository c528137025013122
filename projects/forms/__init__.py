"""WTForms forms, one module per feature, one form per screen."""
