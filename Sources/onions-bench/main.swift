print("onions-bench")
