print("vangnet")
