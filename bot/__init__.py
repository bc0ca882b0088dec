"""The Telegram front end of citebot: ``citebot telegram`` runs :func:`bot.app.run`."""
