// OnionsStore
