// OnionsCrypto
