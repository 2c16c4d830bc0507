/**
 * Small in-test stand-ins for the gateway's three downstreams, speaking their real protocols
 * (HTTPS with a throwaway CA, plain HTTP, gRPC) so the gateway's own clients are exercised. They
 * only serve the gateway's validation and orchestration tests; the end-to-end test uses the real services.
 */
package io.testbed.gateway.fakes;
