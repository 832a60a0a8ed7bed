print("onions")
