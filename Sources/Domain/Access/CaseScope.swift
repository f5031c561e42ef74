/// Which cases an actor may see (DESIGN.md §8): stores apply it inside their queries, so a case
/// outside the scope is simply not found.
public enum CaseScope: Sendable, Equatable {
    case all
    case provinces([Province])
    case consultant(String, provinces: [Province])
    case none
}

extension Actor {
    /// The same actor, consulting for `purpose` (a page whose work implies its purpose).
    public func acting(for purpose: Purpose) -> Actor {
        var actor = self
        actor.purpose = purpose
        return actor
    }

    /// The cases on which `permission` holds for this actor, by the permissions table.
    public func scope(for permission: Permission) -> CaseScope {
        switch Permissions.scope(permission, for: role) {
        case .none, .ownOrganisation: .none
        case .all: .all
        case .ownProvinces: .provinces(provinces)
        }
    }
}
