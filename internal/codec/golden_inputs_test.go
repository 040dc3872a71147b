package codec_test

// goldenRoot holds the pipeline's golden cases; their inputs and outputs are
// the equivalence tests' corpus and the fuzz targets' seeds.
const goldenRoot = "../../testdata/golden"
