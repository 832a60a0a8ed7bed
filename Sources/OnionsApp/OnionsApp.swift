// OnionsApp
