"""The content calendar. Its blueprint lives in `views`, so that progress can use
the exercise checks without loading the pages."""
