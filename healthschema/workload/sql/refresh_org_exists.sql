SELECT EXISTS (SELECT FROM {app}.organizations WHERE id = {organization}::uuid)
