"""(models come with issue 4)"""
