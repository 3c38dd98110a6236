"""(models come with issue 5)"""
