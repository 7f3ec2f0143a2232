//! The rule registry. Registering a rule is adding its module here and one line to [`ALL`].

pub(crate) mod prelude;

macro_rules! declare_rule {
    ($ty:ident { id: $id:expr, name: $name:expr, severity: $sev:ident, origin: $origin:ident, summary: $summary:expr, source: $src:expr $(,)? }
     fn check($ctx:ident, $out:ident) $body:block) => {
        pub struct $ty;
        pub static META: $crate::RuleMeta = $crate::RuleMeta {
            id: $id,
            name: $name,
            severity: $crate::Severity::$sev,
            origin: $crate::Origin::$origin,
            summary: $summary,
            source: $src,
        };
        impl $crate::Rule for $ty {
            fn meta(&self) -> &'static $crate::RuleMeta {
                &META
            }
            #[allow(unused_variables)]
            fn check(&self, $ctx: &$crate::Context, $out: &mut Vec<$crate::Finding>) $body
        }
    };
}
pub(crate) use declare_rule;

mod consistent_instruction_casing;
mod dl1001;
mod dl3000;
mod dl3002;
mod dl3006;
mod dl3007;
mod dl3011;
mod dl3012;
mod dl3020;
mod dl3021;
mod dl3022;
mod dl3023;
mod dl3024;
mod dl3025;
mod dl3026;
mod dl3029;
mod dl3043;
mod dl3044;
mod dl3045;
mod dl3048;
mod dl3049;
mod dl3050;
mod dl3051;
mod dl3052;
mod dl3053;
mod dl3054;
mod dl3055;
mod dl3056;
mod dl3057;
mod dl3058;
mod dl3061;
mod dl3063;
mod dl3064;
mod dl3065;
mod dl3066;
mod dl3067;
mod dl4000;
mod dl4003;
mod dl4004;
mod dl4005;
mod ds001;
mod ds002;
mod ds003;
mod ds004;
mod ds005;
mod ds006;
mod ds007;
mod duplicate_stage_name;
mod expose_invalid_format;
mod expose_proto_casing;
mod from_as_casing;
mod from_platform_flag_const_disallowed;
mod invalid_default_arg_in_from;
mod invalid_definition_description;
mod json_args_recommended;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod multiple_instructions_disallowed;
mod no_empty_continuation;
mod redundant_target_platform;
mod reserved_stage_name;
mod secrets_used_in_arg_or_env;
mod stage_name_casing;
mod undefined_arg_in_from;
mod undefined_var;
mod workdir_relative_path;

/// Every rule: hadolint's, then BuildKit's, then dockstage's.
pub static ALL: &[&dyn crate::Rule] = &[
    &dl1001::Dl1001,
    &dl3000::Dl3000,
    &dl3002::Dl3002,
    &dl3006::Dl3006,
    &dl3007::Dl3007,
    &dl3011::Dl3011,
    &dl3012::Dl3012,
    &dl3020::Dl3020,
    &dl3021::Dl3021,
    &dl3022::Dl3022,
    &dl3023::Dl3023,
    &dl3024::Dl3024,
    &dl3025::Dl3025,
    &dl3026::Dl3026,
    &dl3029::Dl3029,
    &dl3043::Dl3043,
    &dl3044::Dl3044,
    &dl3045::Dl3045,
    &dl3048::Dl3048,
    &dl3049::Dl3049,
    &dl3050::Dl3050,
    &dl3051::Dl3051,
    &dl3052::Dl3052,
    &dl3053::Dl3053,
    &dl3054::Dl3054,
    &dl3055::Dl3055,
    &dl3056::Dl3056,
    &dl3057::Dl3057,
    &dl3058::Dl3058,
    &dl3061::Dl3061,
    &dl3063::Dl3063,
    &dl3064::Dl3064,
    &dl3065::Dl3065,
    &dl3066::Dl3066,
    &dl3067::Dl3067,
    &dl4000::Dl4000,
    &dl4003::Dl4003,
    &dl4004::Dl4004,
    &dl4005::Dl4005,
    &consistent_instruction_casing::ConsistentInstructionCasing,
    &duplicate_stage_name::DuplicateStageName,
    &expose_invalid_format::ExposeInvalidFormat,
    &expose_proto_casing::ExposeProtoCasing,
    &from_as_casing::FromAsCasing,
    &from_platform_flag_const_disallowed::FromPlatformFlagConstDisallowed,
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &invalid_definition_description::InvalidDefinitionDescription,
    &json_args_recommended::JSONArgsRecommended,
    &legacy_key_value_format::LegacyKeyValueFormat,
    &maintainer_deprecated::MaintainerDeprecated,
    &multiple_instructions_disallowed::MultipleInstructionsDisallowed,
    &no_empty_continuation::NoEmptyContinuation,
    &redundant_target_platform::RedundantTargetPlatform,
    &reserved_stage_name::ReservedStageName,
    &secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv,
    &stage_name_casing::StageNameCasing,
    &undefined_arg_in_from::UndefinedArgInFrom,
    &undefined_var::UndefinedVar,
    &workdir_relative_path::WorkdirRelativePath,
    &ds001::Ds001,
    &ds002::Ds002,
    &ds003::Ds003,
    &ds004::Ds004,
    &ds005::Ds005,
    &ds006::Ds006,
    &ds007::Ds007,
];
