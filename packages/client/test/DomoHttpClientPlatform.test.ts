// The DomoHttpClient suites again over the platform's `NodeHttpClient.layerUndici`: a transport
// DomoHttpClient does not know takes another path (the platform's span turned off per call, the
// call span made the parent of the transport's work). The other suites run over UndiciTransport.
process.env.DOMO_TEST_TRANSPORT = "platform"
await import("./DomoHttpClient.test.js")
await import("./DomoHttpClientRetry.test.js")
