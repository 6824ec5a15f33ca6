/**
 * The startup check that the class path holds one io.grpc version
 * ({@link dev.etcddiscovery.boot3.compatibility.GrpcVersionCheck}), with a failure report that tells which BOM to
 * import: jetcd and grpc-spring bring different io.grpc versions that Maven would mix.
 */
package dev.etcddiscovery.boot3.compatibility;
