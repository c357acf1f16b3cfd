import CCurl

/// libcurl's function table, loaded with dlopen the first time a transport
/// needs it (see CCurl.c for why it is not linked).
struct CurlLibrary: @unchecked Sendable {  // the table is immutable once loaded and lives for the process
    #if os(macOS)
    static let defaultName = "libcurl.4.dylib"
    #else
    static let defaultName = "libcurl.so.4"
    #endif

    let api: OpaquePointer

    /// Loads `name` once per process (ccurl_load keeps each loaded library);
    /// the failure carries dlopen's reason.
    static func load(named name: String) -> Result<CurlLibrary, TransportFailure> {
        var reason = [CChar](repeating: 0, count: 512)
        let api = reason.withUnsafeMutableBufferPointer { ccurl_load(name, $0.baseAddress, $0.count) }
        guard let api else {
            let text = reason.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return .failure(TransportFailure(kind: .libraryUnavailable, message: "\(name): \(text)", requestSent: false))
        }
        return .success(CurlLibrary(api: api))
    }

    var version: String { String(cString: ccurl_version(api)) }

    func describe(_ code: CURLcode) -> String { String(cString: ccurl_easy_strerror(api, code)) }
}

/// Owns one `CURL *` easy handle. Used only on the transfer loop's thread.
final class CurlEasyHandle {
    let library: CurlLibrary
    let pointer: OpaquePointer

    init?(library: CurlLibrary) {
        guard let pointer = ccurl_easy_init(library.api) else { return nil }
        self.library = library
        self.pointer = pointer
    }

    deinit { ccurl_easy_cleanup(library.api, pointer) }

    /// Back to defaults, keeping the handle's caches; drops every pointer
    /// option (error buffer, header list, callback data) the last transfer set.
    func reset() { ccurl_easy_reset(library.api, pointer) }

    @discardableResult
    func set(_ option: CURLoption, _ value: Int) -> CURLcode {
        ccurl_easy_setopt_long(library.api, pointer, option, value)
    }

    /// For options libcurl copies (URL, USERAGENT, CUSTOMREQUEST, COPYPOSTFIELDS, ...).
    @discardableResult
    func set(_ option: CURLoption, copying value: String) -> CURLcode {
        ccurl_easy_setopt_string(library.api, pointer, option, value)
    }

    @discardableResult
    func setBody(_ body: [UInt8]) -> CURLcode {
        // The size first: COPYPOSTFIELDS copies that many bytes, so the body may hold NULs.
        let sized = ccurl_easy_setopt_off_t(library.api, pointer, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        guard sized == CURLE_OK else { return sized }
        guard !body.isEmpty else { return ccurl_easy_setopt_string(library.api, pointer, CURLOPT_COPYPOSTFIELDS, "") }
        return body.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                ccurl_easy_setopt_string(library.api, pointer, CURLOPT_COPYPOSTFIELDS, $0.baseAddress!)
            }
        }
    }

    func info(_ info: CURLINFO) -> Int {
        var value = 0
        _ = ccurl_easy_getinfo_long(library.api, pointer, info, &value)
        return value
    }
}

/// Owns one `curl_slist` of request headers. libcurl keeps a pointer to it
/// while the transfer runs, so it lives as long as the transfer.
final class CurlHeaderList {
    let library: CurlLibrary
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(library: CurlLibrary) { self.library = library }

    deinit { ccurl_slist_free_all(library.api, pointer) }

    /// False when libcurl could not allocate (the list is unchanged then).
    func append(_ line: String) -> Bool {
        guard let extended = ccurl_slist_append(library.api, pointer, line) else { return false }
        pointer = extended
        return true
    }
}

/// Owns one `CURLM *` multi handle. All of it runs on the transfer loop's
/// thread except `wakeup`, which libcurl allows from any thread.
final class CurlMultiHandle: @unchecked Sendable {
    let library: CurlLibrary
    let pointer: OpaquePointer

    init?(library: CurlLibrary) {
        guard let pointer = ccurl_multi_init(library.api) else { return nil }
        self.library = library
        self.pointer = pointer
    }

    deinit { _ = ccurl_multi_cleanup(library.api, pointer) }

    func wakeup() { _ = ccurl_multi_wakeup(library.api, pointer) }
}
