// Maven mixed the io.grpc versions, and the app stopped at startup with the check's report instead of a
// NoClassDefFoundError when its channel was built.
def log = new File(basedir, 'build.log').text
assert log.contains('APPLICATION FAILED TO START') : 'the app did not stop with a failure report'
assert log.contains('The class path mixes io.grpc versions')
// grpc-spring brings 1.63, jetcd 1.70, and the starter's own grpc-services (client-side health checking) 1.82.2
assert log.contains('    1.63.0: grpc-netty-shaded, grpc-inprocess, grpc-stub, grpc-protobuf, grpc-protobuf-lite')
assert log.contains('    1.70.0: grpc-netty, grpc-grpclb')
assert log.contains('    1.82.2: grpc-api, grpc-core, grpc-util, grpc-services')
assert log.contains('<artifactId>etcd-discovery-dependencies</artifactId>')
assert log.contains("implementation(platform(\"dev.etcddiscovery:etcd-discovery-dependencies:${projectVersion}\"))")
// what the app died of before the check (with etcd.discovery.grpc-version-check.enabled=false it still does)
assert !log.contains('java.lang.NoClassDefFoundError') && !log.contains('InternalConfiguratorRegistry')
true
