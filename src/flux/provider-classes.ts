// Provider classes NC's dispatch gates look at (spec §4.1).

export const COMMIT_STATUS_TYPES = ['github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops'] as const;
export const CHANGE_REQUEST_TYPES = ['githubpullrequestcomment', 'gitlabmergerequestcomment', 'giteapullrequestcomment'] as const;
export const GENERIC_TYPES = ['generic', 'generic-hmac'] as const;

export const isCommitStatusProvider = (t: string) => (COMMIT_STATUS_TYPES as readonly string[]).includes(t);
export const isChangeRequestProvider = (t: string) => (CHANGE_REQUEST_TYPES as readonly string[]).includes(t);
export const isGenericProvider = (t: string) => (GENERIC_TYPES as readonly string[]).includes(t);
