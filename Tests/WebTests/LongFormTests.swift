import Domain
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Storage
import TestSupport
import Testing
import Vapor
@testable import Web

/// Long forms over a real connection, their body arriving in several pieces as browsers send them.
@Suite struct LongFormTests {
    @Test func aLongNoteWhoseBodyArrivesInSeveralPiecesIsSaved() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            try await web.app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(web.app.http.server.shared.localAddress?.port)
            let note = String(repeating: "Gesprek met moeder; ", count: 195) + "einde."
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._")
            let body = "_csrf=\(session.csrf.addingPercentEncoding(withAllowedCharacters: allowed)!)&note="
                + note.addingPercentEncoding(withAllowedCharacters: allowed)!
            let head = "POST /cases/\(number)/notes HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
                + "Cookie: __Host-vangnet-session=\(session.cookie)\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            let response = try await Task.detached { try RawHTTP.send(port: port, head: head, body: Array(body.utf8), pieces: 5) }.value
            await web.app.server.shutdown()
            #expect(response.hasPrefix("HTTP/1.1 303"), "\(response.prefix(200))")
            #expect(response.contains("done=note_added"))
            try await web.get("/cases/\(number)", as: session) { page in
                #expect(page.body.string.contains("Gesprek met moeder; Gesprek met moeder;"), "the note is on the case")
            }
        }
    }
}

/// A blocking HTTP/1.1 client over a socket that writes the body in pieces, with pauses between them.
enum RawHTTP {
    struct Failure: Error { let what: String }

    static func send(port: Int, head: String, body: [UInt8], pieces: Int) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(what: "socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(what: "connect") }
        var flag: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &flag, socklen_t(MemoryLayout<Int32>.size))
        func write(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
                guard sent > 0 else { throw Failure(what: "send") }
                offset += sent
            }
        }
        try write(Array(head.utf8))
        let size = (body.count + pieces - 1) / pieces
        for start in stride(from: 0, to: body.count, by: size) {
            usleep(60_000)
            try write(Array(body[start..<min(body.count, start + size)]))
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
