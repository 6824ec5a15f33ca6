/**
 * The greeter sample's code that does not depend on the gRPC framework, the same on both lines: sample-app compiles
 * it and sample-app-spring-grpc uses it from sample-app's {@code shared} jar. Each line's own classes (one package up)
 * only connect it to its framework: serving {@link dev.etcddiscovery.sample.shared.GreeterService}, telling
 * {@link dev.etcddiscovery.sample.shared.InstanceAddress} the bound port and providing the client's greeter stub.
 */
package dev.etcddiscovery.sample.shared;
