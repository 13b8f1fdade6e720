"""Questions in Chinese or English → Plans → answers you can trust (see :func:`shuxi.ask.answering.ask`)."""
