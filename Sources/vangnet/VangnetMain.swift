import ArgumentParser
import VangnetCLI

/// The entry point: everything else lives in the VangnetCLI library, which the tests import.
@main
struct VangnetMain: AsyncMainProtocol {
    typealias Command = Vangnet
}
